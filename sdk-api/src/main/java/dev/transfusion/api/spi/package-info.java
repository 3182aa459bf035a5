/**
 * The service-provider interface: what a modality plugin implements, and what the engine provides.
 *
 * <p>A plugin is a jar with a {@code META-INF/services/dev.transfusion.api.spi.ModalityPlugin} entry.
 * A discrete modality ({@link dev.transfusion.api.spi.DiscreteModalityPlugin}) turns its input into
 * token ids with a {@link dev.transfusion.api.spi.Tokenizer}; a continuous one
 * ({@link dev.transfusion.api.spi.ContinuousModalityPlugin}) turns it into a latent grid with a frozen
 * {@link dev.transfusion.api.spi.LatentCodec}, which the engine cuts into patches.
 *
 * <p>A data set is a jar with a {@code META-INF/services/dev.transfusion.api.spi.DataSetProvider} entry: a
 * name for {@code --data}, its training examples as API values, and optionally a
 * {@link dev.transfusion.api.spi.DataSetJudge} for its held-out samples.
 */
@NullMarked
package dev.transfusion.api.spi;

import org.jspecify.annotations.NullMarked;
