package dev.transfusion.api;

/**
 * Counts the scans (SOS segments) of a JPEG by walking its markers, without decoding: a progressive JPEG of
 * a few kilobytes may declare thousands of scans over a large image, each one a full pass of the decoder.
 */
final class JpegScans {
    private JpegScans() {
    }

    /** The scans in {@code b}, counting no further than {@code stopAt}; 0 when {@code b} is no JPEG. */
    static int count(byte[] b, int stopAt) {
        if (b.length < 4 || (b[0] & 0xff) != 0xff || (b[1] & 0xff) != 0xd8) {
            return 0;
        }
        int scans = 0, i = 2;
        while (i + 1 < b.length && scans < stopAt) {
            if ((b[i] & 0xff) != 0xff) {
                i++;                                   // stray byte between segments: tolerated, as decoders do
                continue;
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0xff) {
                i++;                                   // fill byte
                continue;
            }
            if (marker == 0xd9) {                      // EOI
                break;
            }
            if (marker == 0x01 || marker >= 0xd0 && marker <= 0xd7) {
                i += 2;                                // standalone markers
                continue;
            }
            if (i + 3 >= b.length) {
                break;
            }
            int length = (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
            i += 2 + length;
            if (marker == 0xda) {                      // SOS: skip the entropy-coded data up to the next marker
                scans++;
                while (i + 1 < b.length) {
                    int next = b[i + 1] & 0xff;
                    if ((b[i] & 0xff) == 0xff && next != 0x00 && !(next >= 0xd0 && next <= 0xd7)) {
                        break;
                    }
                    i++;
                }
            }
        }
        return scans;
    }
}
