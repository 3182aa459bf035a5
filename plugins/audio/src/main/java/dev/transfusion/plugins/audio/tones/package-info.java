/**
 * tones-v1: a built-in text+audio data set (seeded splits of rendered 1 s clips, their captions and five
 * questions) and its judge, exactly as {@code shared/spec/tones-v1.md} specifies; registered as the data set
 * {@code tones} ({@link dev.transfusion.plugins.audio.tones.TonesDataSetProvider}: {@link
 * dev.transfusion.plugins.audio.tones.TonesCorpus} to train on, {@link
 * dev.transfusion.plugins.audio.tones.TonesEvaluation} to judge).
 */
@NullMarked
package dev.transfusion.plugins.audio.tones;

import org.jspecify.annotations.NullMarked;
