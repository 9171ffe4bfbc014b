/** Errors the emulator answers with; each protocol module renders them in its own wire format. */

/** An AWS error to send back: HTTP status, error code (`x-amzn-errortype` / `__type` / STS `Code`). */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
    this.code = code;
  }
}

export const badRequest = (message: string): ServiceError => new ServiceError(400, 'BadRequestException', message);
export const accessDenied = (message: string): ServiceError => new ServiceError(403, 'AccessDeniedException', message);
export const notFound = (message: string): ServiceError => new ServiceError(404, 'ResourceNotFoundException', message);
export const internalError = (message: string): ServiceError => new ServiceError(500, 'InternalServerErrorException', message);
export const throttled = (): ServiceError => new ServiceError(429, 'ThrottlingException', 'Rate exceeded');
export const invalidToken = (): ServiceError =>
  new ServiceError(403, 'UnrecognizedClientException', 'The security token included in the request is invalid');
export const expiredToken = (): ServiceError =>
  new ServiceError(403, 'ExpiredTokenException', 'The security token included in the request is expired');

/** The emulator could not start (port in use, bad options). */
export class EmulatorStartError extends Error {
  override readonly name = 'EmulatorStartError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
