#!/usr/bin/env bash
# Prints the start-up time the agent adds: medians of RUNS (default 5) child JVMs with and without -javaagent.
# Builds the agent jar and test classes first. Usage: durable-agent/startup-cost.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
# the class path from the same build, so that it names the jars just built (the local runtime's test jar among them)
mvn -q -pl durable-agent -am package -DskipTests \
  dependency:build-classpath -Dmdep.includeScope=test '-Dmdep.outputFile=${project.build.directory}/test-classpath.txt'
cd durable-agent
jar=$(ls target/durable-agent-*.jar | grep -v original | head -n 1)
java -cp "target/test-classes:$(cat target/test-classpath.txt)" \
  -Ddurable.agent.jar="$jar" -Ddurable.agent.classes=target/classes \
  dev.durable.agent.StartupCost "${1:-5}"
