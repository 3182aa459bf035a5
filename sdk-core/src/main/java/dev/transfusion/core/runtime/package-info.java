/** The API's facades on the engine: model directories, the loaded model, and the trainer. */
@NullMarked
package dev.transfusion.core.runtime;

import org.jspecify.annotations.NullMarked;
