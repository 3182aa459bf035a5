/**
 * The audio modality: 16-bit PCM WAV files of mono 8 kHz clips, and a frozen codec between clips and
 * log-mel latent grids (a hand-written FFT, STFT, mel filter bank, non-negative mel inversion and
 * Griffin-Lim), written against sdk-api only.
 */
@NullMarked
package dev.transfusion.plugins.audio;

import org.jspecify.annotations.NullMarked;
