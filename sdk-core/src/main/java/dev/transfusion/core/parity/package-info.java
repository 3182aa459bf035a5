/** Parity with the PyTorch reference: fixture directories and the comparison of outputs and gradients. */
@NullMarked
package dev.transfusion.core.parity;

import org.jspecify.annotations.NullMarked;
