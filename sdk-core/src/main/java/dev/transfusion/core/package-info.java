/** The Transfusion engine on SameDiff: configuration, the engine provider behind the API. */
@NullMarked
package dev.transfusion.core;

import org.jspecify.annotations.NullMarked;
