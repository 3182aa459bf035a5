/** Benchmarks that repeat the reference's {@code bench} and {@code bench-generate} work exactly. */
@NullMarked
package dev.transfusion.samples.bench;

import org.jspecify.annotations.NullMarked;
