package dev.deferred.impl.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class against the real Cloud Datastore emulator from the Google Cloud SDK.
 *
 * <p>The emulator is started once per test run (shared by every class carrying this annotation) on
 * a free port, and stopped with its whole process tree when the run ends. Tests receive a {@link
 * DatastoreEmulatorInstance} parameter; each should work in its own namespace ({@link
 * DatastoreEmulatorInstance#newNamespace()}) so that classes do not see each other's entities.
 *
 * <p>A missing SDK fails the test run: it never skips, since a skipped store test proves nothing.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(DatastoreEmulatorExtension.class)
public @interface DatastoreEmulator {}
