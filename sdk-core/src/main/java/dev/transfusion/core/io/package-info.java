/** Files: NumPy arrays, atomic directory writes, checksums. */
@NullMarked
package dev.transfusion.core.io;

import org.jspecify.annotations.NullMarked;
