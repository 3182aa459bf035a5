/** Training: AdamW, learning-rate schedule, the training loop, checkpoints. */
@NullMarked
package dev.transfusion.core.train;

import org.jspecify.annotations.NullMarked;
