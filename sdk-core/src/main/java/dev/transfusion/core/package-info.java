/** The Transfusion engine on SameDiff: its configuration and the native backend; depends on no other engine package. */
@NullMarked
package dev.transfusion.core;

import org.jspecify.annotations.NullMarked;
