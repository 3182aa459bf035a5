/** The API's facades on the engine: the engine provider, model directories, the loaded model, the trainer and its corpus. */
@NullMarked
package dev.transfusion.core.runtime;

import org.jspecify.annotations.NullMarked;
