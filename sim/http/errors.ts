/**
 * API errors as Heroku sends them: a status code plus a `{ id, message }` body. Handlers throw
 * `ApiError`; the server turns it into the response.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
    readonly resource?: string,
  ) {
    super(message)
  }

  /** The JSON body Heroku sends for this error. */
  body(): { id: string; message: string; resource?: string } {
    return this.resource === undefined
      ? { id: this.id, message: this.message }
      : { id: this.id, message: this.message, resource: this.resource }
  }
}

export const notFound = (resource: string, what: string): ApiError =>
  new ApiError(404, "not_found", `Couldn't find that ${what}.`, resource)

export const invalidParams = (message: string): ApiError => new ApiError(422, "invalid_params", message)

export const badRequest = (message: string): ApiError => new ApiError(400, "bad_request", message)

export const conflict = (message: string): ApiError => new ApiError(409, "conflict", message)
