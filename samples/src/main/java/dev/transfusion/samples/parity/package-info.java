/** The parity tool: the engine's graph against a PyTorch reference fixture, figure by figure. */
@NullMarked
package dev.transfusion.samples.parity;

import org.jspecify.annotations.NullMarked;
