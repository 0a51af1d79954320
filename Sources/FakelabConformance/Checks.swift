import FakelabAPI
import FakelabChecks

/// Grading one scenario run with the check library (FakelabChecks): the scenario's checks over
/// the typed journal and what the runner saw of the client, plus the traffic verdict's findings.
enum Grading {
    static func outcomes(_ scenario: Scenario, _ run: ScenarioRun) -> [CheckOutcome] {
        let input = CheckInput(journal: run.entries, client: observation(run))
        return scenario.checks.map { spec in
            let judgement = CheckRegistry.judge(spec.name, spec.arguments, input)
            return CheckOutcome(
                check: spec.name,
                level: spec.level,
                passed: judgement.passed,
                expected: judgement.expected,
                actual: judgement.actual
            )
        }
    }

    static func observation(_ run: ScenarioRun) -> ClientObservation {
        ClientObservation(
            exitCode: run.exitCode,
            result: run.result,
            resultProblem: run.resultProblem,
            stdout: run.stdout,
            stderr: run.stderr,
            seconds: run.seconds,
            timedOut: run.timedOut,
            apiKey: run.apiKey,
            images: run.images.map { .init(format: $0.format, width: $0.width, height: $0.height, problem: $0.problem) }
        )
    }
}
