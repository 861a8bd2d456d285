// Development aid: how many bytes the kernel takes into one loopback TCP connection whose reader
// never reads (the sender's send buffer plus the receiver's receive buffer, after autotuning):
//   node bench/tools/loopback-send-buffer.mjs
// bench/README.md section 5, row (f): every slow reader takes that much of a segment at once.
import { connect, createServer } from 'node:net';

const server = createServer((socket) => {
  const chunk = Buffer.alloc(32 * 1024);
  let taken = 0;
  const pump = () => {
    // write() returns false once the kernel stopped taking bytes; what it kept then is still queued.
    while (socket.write(chunk)) taken += chunk.length;
    taken += chunk.length - socket.writableLength;
  };
  socket.on('drain', pump);
  pump();
  setTimeout(() => {
    console.log(`the kernel took ${taken} bytes (${(taken / 2 ** 20).toFixed(1)} MiB) into a connection nobody reads`);
    process.exit(0);
  }, 2000);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') connect(address.port, '127.0.0.1').pause();
});
