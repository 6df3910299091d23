package dev.deferred.impl.operations;

import dev.deferred.impl.testing.DeferredTest;
import org.jboss.weld.junit5.auto.AddBeanClasses;

/** The failed-task API over the in-memory failure store of embedded mode. */
@DeferredTest(config = {FailedTasksScenarios.CONFIG_REPORTS, FailedTasksScenarios.CONFIG_AUDIENCE})
@AddBeanClasses({Ledger.class, Auditor.class})
class InMemoryFailedTasksTest extends FailedTasksScenarios {}
