/**
 * Fixtures that tests in several modules share (a tiny model directory writer); used at test scope only.
 * Generators of random bad input live in sdk-core's test jar ({@code dev.transfusion.core.testing}), which
 * sdk-core's own tests use too.
 */
@NullMarked
package dev.transfusion.testing;

import org.jspecify.annotations.NullMarked;
