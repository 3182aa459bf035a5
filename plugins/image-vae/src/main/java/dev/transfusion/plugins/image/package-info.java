/**
 * The image modality: a convolutional VAE on SameDiff that turns RGB images into latent grids and back
 * (trained by the SDK, then frozen), a pass-through pixel codec, image file I/O, and the codec directory
 * format both are saved in.
 */
@NullMarked
package dev.transfusion.plugins.image;

import org.jspecify.annotations.NullMarked;
