package dev.deferred.impl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean of the library whose public methods the library itself defers as tasks (the
 * iteration engine's shard and finalize tasks). The task handler refuses to run methods of the
 * library's own beans, except the public methods of a class with this annotation: the one place
 * that says which internal task targets exist.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface LibraryTaskTarget {}
