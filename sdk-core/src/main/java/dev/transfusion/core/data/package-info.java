/** Documents to packed rows: tokens, patches, positions, targets, attention masks. */
@NullMarked
package dev.transfusion.core.data;

import org.jspecify.annotations.NullMarked;
