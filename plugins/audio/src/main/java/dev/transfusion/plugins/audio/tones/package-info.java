/**
 * tones-v1: a built-in text+audio data set (seeded splits of rendered 1 s clips, their captions and five
 * questions) and its judge, exactly as {@code shared/spec/tones-v1.md} specifies.
 */
@NullMarked
package dev.transfusion.plugins.audio.tones;

import org.jspecify.annotations.NullMarked;
