/**
 * Generation: the cached forward pass (KV cache), text sampling, image denoising with classifier-free
 * guidance, and the loop that switches between them on BOI and EOI.
 */
@NullMarked
package dev.transfusion.core.generate;

import org.jspecify.annotations.NullMarked;
