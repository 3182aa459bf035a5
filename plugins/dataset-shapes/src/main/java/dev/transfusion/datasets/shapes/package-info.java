/**
 * shapes-v1, the built-in text+image data set ({@code docs/spec/shapes-v1.md}): seeded generation of
 * images with their captions and question/answer pairs, and the judge that reads the attributes back from
 * an image and scores captions and answers. Everything here follows the spec to the pixel.
 */
@NullMarked
package dev.transfusion.datasets.shapes;

import org.jspecify.annotations.NullMarked;
