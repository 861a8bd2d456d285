// Sends every published stream to several outputs (stats + HLS). A throwing output must not take
// the others or the RTMP session down: its error is reported once and that sink is dropped.
import type { PublishedStream, StreamOutputs, StreamSink } from '../media/types.js';

export function fanOut(outputs: readonly StreamOutputs[], onError: (error: unknown, stream: PublishedStream) => void): StreamOutputs {
  return {
    open(stream) {
      const sinks: StreamSink[] = [];
      for (const output of outputs) {
        try {
          sinks.push(output.open(stream));
        } catch (error) {
          onError(error, stream);
        }
      }
      const guard = (sink: StreamSink, action: () => void) => {
        try {
          action();
        } catch (error) {
          sinks.splice(sinks.indexOf(sink), 1);
          onError(error, stream);
        }
      };
      return {
        write(message) {
          // Called for every media message, so no copy of `sinks` and no closure per sink: a sink
          // that throws is removed in place and the loop continues with the next one.
          for (let i = 0; i < sinks.length; ) {
            const sink = sinks[i]!;
            try {
              sink.write(message);
              i++;
            } catch (error) {
              sinks.splice(i, 1);
              onError(error, stream);
            }
          }
        },
        flush() {
          for (const sink of [...sinks]) if (sink.flush) guard(sink, () => sink.flush?.());
        },
        end(reason) {
          for (const sink of [...sinks]) guard(sink, () => sink.end(reason));
          sinks.length = 0;
        },
      };
    },
  };
}
