package api

import (
	"fmt"
	"net/http"
)

// Code is the stable machine-readable error code of a Problem. Clients match
// on it, never on titles or details.
type Code string

// The error codes of the contract, with their HTTP status in Code.Status.
const (
	CodeValidationFailed      Code = "validation-failed"       // 400
	CodeIdempotencyKeyMissing Code = "idempotency-key-missing" // 400
	CodeUnauthorized          Code = "unauthorized"            // 401
	CodeNotFound              Code = "not-found"               // 404
	CodeRequestInProgress     Code = "request-in-progress"     // 409
	CodeInvalidTransition     Code = "invalid-transition"      // 409
	CodeDuplicateTransfer     Code = "duplicate-transfer"      // 409
	CodeDigestConflict        Code = "digest-conflict"         // 409: the hub already keeps another digest of that day
	CodeDuplicateSubmission   Code = "duplicate-submission"    // 409 (v1.1)
	CodeCursorExpired         Code = "cursor-expired"          // 410
	CodeVersionMismatch       Code = "version-mismatch"        // 412
	CodePayloadTooLarge       Code = "payload-too-large"       // 413
	CodeUnsupportedMediaType  Code = "unsupported-media-type"  // 415
	CodeIdempotencyKeyReused  Code = "idempotency-key-reused"  // 422
	CodeBlobMissing           Code = "blob-missing"            // 422
	CodeDigestMismatch        Code = "digest-mismatch"         // 422
	CodePreconditionRequired  Code = "precondition-required"   // 428
	CodeRateLimited           Code = "rate-limited"            // 429
	CodeInternal              Code = "internal"                // 500
)

var codeStatus = map[Code]int{
	CodeValidationFailed:      http.StatusBadRequest,
	CodeIdempotencyKeyMissing: http.StatusBadRequest,
	CodeUnauthorized:          http.StatusUnauthorized,
	CodeNotFound:              http.StatusNotFound,
	CodeRequestInProgress:     http.StatusConflict,
	CodeInvalidTransition:     http.StatusConflict,
	CodeDuplicateTransfer:     http.StatusConflict,
	CodeDigestConflict:        http.StatusConflict,
	CodeDuplicateSubmission:   http.StatusConflict,
	CodeCursorExpired:         http.StatusGone,
	CodeVersionMismatch:       http.StatusPreconditionFailed,
	CodePayloadTooLarge:       http.StatusRequestEntityTooLarge,
	CodeUnsupportedMediaType:  http.StatusUnsupportedMediaType,
	CodeIdempotencyKeyReused:  http.StatusUnprocessableEntity,
	CodeBlobMissing:           http.StatusUnprocessableEntity,
	CodeDigestMismatch:        http.StatusUnprocessableEntity,
	CodePreconditionRequired:  http.StatusPreconditionRequired,
	CodeRateLimited:           http.StatusTooManyRequests,
	CodeInternal:              http.StatusInternalServerError,
}

// Codes lists every code of the contract.
func Codes() []Code {
	out := make([]Code, 0, len(codeStatus))
	for c := range codeStatus {
		out = append(out, c)
	}
	return out
}

// Status is the HTTP status that goes with the code (500 for an unknown code).
func (c Code) Status() int {
	if s, ok := codeStatus[c]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// ProblemTypePrefix prefixes the code to form a Problem's type URI.
const ProblemTypePrefix = "urn:motcua:problem:"

// Problem is an RFC 9457 problem details body (application/problem+json).
// It is also an error, so the client can return it as is.
type Problem struct {
	Type       string       `json:"type"`
	Title      string       `json:"title"`
	Status     int          `json:"status"`
	Detail     string       `json:"detail,omitempty"`
	Code       Code         `json:"code"`
	Errors     []FieldError `json:"errors,omitempty"`
	TransferID string       `json:"transfer_id,omitempty"` // with duplicate-transfer: the existing one
	// SubmissionID is set with duplicate-submission (v1.1): the existing one.
	SubmissionID string `json:"submission_id,omitempty"`
}

// FieldError points at one wrong part of a request: a JSON pointer into the
// body ("/dossier/documents/2/sha256") or "query:limit", "header:If-Match",
// "path:id" for parameters.
type FieldError struct {
	Pointer string `json:"pointer"`
	Detail  string `json:"detail"`
}

// NewProblem builds a problem with the code's status, type and a generic title.
func NewProblem(code Code, detail string, errs ...FieldError) *Problem {
	st := code.Status()
	return &Problem{
		Type:   ProblemTypePrefix + string(code),
		Title:  http.StatusText(st),
		Status: st,
		Detail: detail,
		Code:   code,
		Errors: errs,
	}
}

func (p *Problem) Error() string {
	if p.Detail != "" {
		return fmt.Sprintf("%d %s: %s", p.Status, p.Code, p.Detail)
	}
	return fmt.Sprintf("%d %s", p.Status, p.Code)
}

// Retryable reports whether a client should retry the same request later
// (rate limited, in progress, or a hub failure); other problems need a change.
func (p *Problem) Retryable() bool {
	switch p.Code {
	case CodeRateLimited, CodeRequestInProgress, CodeInternal:
		return true
	}
	return false
}
