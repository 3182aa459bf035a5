/** The noise schedule, forward noising and the reverse samplers. */
@NullMarked
package dev.transfusion.core.diffusion;

import org.jspecify.annotations.NullMarked;
