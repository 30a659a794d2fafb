# Archivist's container image, for those who build with Docker (or podman, buildah, kaniko).
# The Maven build makes the same image with no daemon:
#   ./mvnw -B -pl app -am -Pimage -DskipTests package   ->  app/target/archivist-image.tar
# Both run app/src/image/runtime.sh for the runtime, and hack/image-check.sh checks that the
# entrypoint, user, working directory and environment below match the Maven-built image.

# 1. Build the application and a jlink runtime from the same JDK.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -pl app -am -DskipTests package dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory=target/libs \
 && bash app/src/image/runtime.sh "$JAVA_HOME" /out \
 && chown 65532:65532 /out/rootfs/home/nonroot

# 2. The runtime: no shell, no package manager, only the JVM and the libraries it loads.
FROM scratch
COPY --from=build /out/rootfs/ /
COPY --from=build /src/app/target/libs/ /app/libs/
COPY --from=build /src/app/target/classes/ /app/classes/
ENV PATH=/opt/java/bin JAVA_HOME=/opt/java
USER 65532:65532
WORKDIR /tmp
EXPOSE 8080
# The heap is a share of the container's memory limit; the rest is left for metaspace, threads and
# direct buffers. An OutOfMemoryError ends the process, so that the kubelet restarts it.
ENTRYPOINT ["/opt/java/bin/java", "-XX:MaxRAMPercentage=75.0", "-XX:+ExitOnOutOfMemoryError", "-cp", "/app/resources:/app/classes:/app/libs/*", "dev.archivist.app.Main"]
