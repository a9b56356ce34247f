/**
 * A time budget for every property test (issue 15, item 12). A fast-check run is bounded by
 * `numRuns`, which makes its wall time proportional to the machine's speed: on a loaded CI machine
 * a property that takes 10 s idle took 15.6 s of a 20 s test timeout, and one run failed.
 *
 * With this budget a property starts no new run (and no new shrink step) once `FC_TIME_LIMIT_MS`
 * (default 8 s) have passed since its `fc.assert` began, and passes on the runs it did: every run
 * still checks the invariant, and a counterexample found still fails the test (shrunk as far as
 * the budget allowed). Unlike fast-check's own `interruptAfterTimeLimit`, a run in progress is
 * never abandoned — an async predicate that drives worker threads finishes before the test moves
 * on, so nothing keeps using a pool the test's `afterEach` closes. Its wall time is the budget plus
 * one run, on any machine. When the budget stops a property early it says so on stdout.
 * Set `FC_TIME_LIMIT_MS=0` to run every property to its full `numRuns`.
 */
import fc from 'fast-check';

const budget = Number(process.env.FC_TIME_LIMIT_MS ?? 8_000);
if (!Number.isFinite(budget) || budget < 0) throw new Error(`FC_TIME_LIMIT_MS must be a number of milliseconds ≥ 0, got ${process.env.FC_TIME_LIMIT_MS}`);

/** fast-check's PreconditionFailure class is not exported; `fc.pre(false)` throws one. */
function preconditionFailureClass(): new (interruptExecution: boolean) => Error {
  try {
    fc.pre(false);
  } catch (failure) {
    return (failure as Error).constructor as new (interruptExecution: boolean) => Error;
  }
  throw new Error('fc.pre(false) did not throw');
}

if (budget > 0) {
  const PreconditionFailure = preconditionFailureClass();
  fc.installGlobalPlugin(() => {
    const deadline = performance.now() + budget;
    let stoppedEarly = false;
    return {
      decorateRun: (nestedRun) => (value) => {
        if (performance.now() < deadline) return nestedRun(value);
        stoppedEarly = true;
        // `true`: interrupt the whole property (a success if at least one run passed), not skip one run.
        return new PreconditionFailure(true) as never;
      },
      onAllRunsComplete: (details) => {
        if (stoppedEarly && !details.failed) console.log(`fast-check: time budget of ${budget} ms used after ${details.numRuns} runs (FC_TIME_LIMIT_MS); passing on those`);
      },
    };
  });
}
