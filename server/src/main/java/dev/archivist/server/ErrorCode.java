package dev.archivist.server;

/**
 * The error codes the API answers with: gRPC status codes, as Argo Server's grpc-gateway writes
 * them in {@code {"code":3,"message":"..."}}, each with the HTTP status it travels under.
 */
enum ErrorCode {
  INVALID_ARGUMENT(3, 400),
  NOT_FOUND(5, 404),
  PERMISSION_DENIED(7, 403),
  UNIMPLEMENTED(12, 405),
  INTERNAL(13, 500),
  UNAVAILABLE(14, 503),
  UNAUTHENTICATED(16, 401);

  final int grpcCode;
  final int httpStatus;

  ErrorCode(int grpcCode, int httpStatus) {
    this.grpcCode = grpcCode;
    this.httpStatus = httpStatus;
  }
}
