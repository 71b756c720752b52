# sam build: every function of template.yaml says BuildMethod: makefile, so SAM runs `make build-<logical id>`
# in a copy of the project with ARTIFACTS_DIR set (functions with the same code share one build). This makes
# the layout SAM's own Maven workflow makes (target/classes at the root, the runtime-scope jars that the pom's
# lambda-lib execution copies in lib/) but without the tests, which SAM's `mvn clean install` would run: they
# need an emulator and belong to `mvn verify`, not to a deploy.
build-%:
	mvn -B -q -Dmaven.test.skip=true clean process-classes
	cp -R target/classes/. "$(ARTIFACTS_DIR)"
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp target/dependency/*.jar "$(ARTIFACTS_DIR)/lib/"
