package dev.goalpost.local;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against the one shared {@link LocalCloud} of this test JVM; test methods and constructors
 * may take {@link LocalCloud} and {@link ApiClient} parameters.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LocalCloudExtension.class)
public @interface LocalCloudTest {}
