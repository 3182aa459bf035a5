/** The transformer graph on SameDiff: parameters, forward pass, losses. */
@NullMarked
package dev.transfusion.core.model;

import org.jspecify.annotations.NullMarked;
