/** The PyTorch reference's fixture directories (config, parameters, a batch, its outputs and gradients), read for the engine's tests and the parity tool in samples. */
@NullMarked
package dev.transfusion.core.parity;

import org.jspecify.annotations.NullMarked;
