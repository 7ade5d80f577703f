# Goalpost: `make run` starts the whole thing locally with demo data; `make test` runs every test.
# Both pick a JDK >= 21 by themselves (infra/bin/find-jdk.sh) and install moto/cfn-lint when missing.
SHELL := /bin/bash
JAVA_HOME := $(shell infra/bin/find-jdk.sh)
export JAVA_HOME
MVN := mvn -B -ntp
LOCAL_CP := infra/local/target/classes:infra/local/target/lib/*

.PHONY: tools build run test unit lint emulator-check bench readiness hot-goal clean

tools:
	@infra/bin/ensure-tools.sh

build: tools
	$(MVN) -q install -DskipTests

## Starts moto, creates the template's resources, serves the API on http://127.0.0.1:8080 with demo data.
run: build
	$(JAVA_HOME)/bin/java -cp '$(LOCAL_CP)' dev.goalpost.local.LocalCloud --demo --template template.yaml

## Everything CI checks: template lint, unit tests, handler and integration tests against the local cloud.
test: tools lint emulator-check
	$(MVN) install

unit:
	$(MVN) -f functions/pom.xml test

lint:
	cfn-lint template.yaml

## The moto launcher answers Queries exactly like plain moto, also under concurrent writes (about a minute).
emulator-check: tools
	python3 infra/local/src/test/emulator/compare_with_plain_moto.py 2000

## DynamoDB requests and capacity per workflow operation (minutes; not part of the test suite).
## Sizes and agents: make bench BENCH_ARGS="-Dbench.sizes=1000,10000 -Dbench.agents=1,20"
bench: build
	cd infra/local && $(MVN) -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
	cd infra/local && $(JAVA_HOME)/bin/java $(BENCH_ARGS) -cp "target/test-classes:target/classes:$$(cat target/bench.cp)" \
	  dev.goalpost.bench.WorkflowsBench target/bench/workflows.md

## One table of readiness figures: DynamoDB requests + capacity, SQS/EventBridge calls per operation, and each
## function's init time in a fresh JVM (with and without SnapStart priming) next to a hello-world handler's.
readiness: build
	cd infra/local && $(MVN) -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
	cd infra/local && $(JAVA_HOME)/bin/java $(BENCH_ARGS) -cp "target/test-classes:target/classes:$$(cat target/bench.cp)" \
	  dev.goalpost.bench.ReadinessBench target/bench/readiness.md

## Many agents on one goal at once, with the fault mode's TransactionConflict window on: conflicts, retries, 503s,
## p50/p95 and per-item write rates per operation (not part of the test suite). Minutes once sends stop meeting on
## shared items; 18-42 minutes on this shared machine before issue 14, when most sends conflict and are retried.
## Sizes: make hot-goal HOT_GOAL_ARGS="-Dhotgoal.agents=50,200 -Dhotgoal.sends=5 -Dhotgoal.replies=200"
hot-goal: build
	cd infra/local && $(MVN) -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
	cd infra/local && $(JAVA_HOME)/bin/java $(HOT_GOAL_ARGS) -cp "target/test-classes:target/classes:$$(cat target/bench.cp)" \
	  dev.goalpost.bench.HotGoalBench target/bench/hot-goal.md

clean:
	$(MVN) -q clean
