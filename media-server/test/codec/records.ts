// Decoder configuration records captured from real encoders (ffmpeg 5.1), shared by the codec,
// mp4 and hls tests. How each was captured is written next to it.

/** libx264 `-profile:v high -preset ultrafast` 1920x1080 (coded 1088, cropped): moov/.../avc1/avcC. */
export const avcC1920x1080 = '0142c028ffe100196742c028da01e0089f970110000003001000000303c0f1832a01000468ce0fc8';

/** libx265 3.5 `-tag:v hvc1` 640x360 Main: moov/.../hvc1/hvcC with its SEI array dropped (numOfArrays 4 -> 3). */
export const hvcC640x360 =
  '0101600000009000000000003ff000fcfdf8f800000f03a00001001840010c01ffff01600000030090000003000003003f959409a10001002b42010101600000030090000003000003003fa005020171f2e595952930bc05a020000003002000000303c1a2000100064401c073c189';

/** SVT-AV1 1.4 `-preset 12` 320x240: moov/.../av01/av1C including the sequence header OBU. */
export const av1C320x240 = '81000c000a0b000000043cffbc02f80040';
