package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// DecodeStrict decodes exactly one JSON value from r into v, rejecting unknown
// fields and trailing data, so that typos surface instead of being dropped.
// Errors are *Problem values with code validation-failed.
func DecodeStrict(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeProblem(err)
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return NewProblem(CodeValidationFailed, "unexpected data after the JSON value")
	}
	return nil
}

// DecodeStrictBytes is DecodeStrict on a byte slice.
func DecodeStrictBytes(b []byte, v any) error { return DecodeStrict(bytes.NewReader(b), v) }

func decodeProblem(err error) *Problem {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return NewProblem(CodeValidationFailed, "empty body: a JSON object is expected")
	case errors.As(err, &syn):
		return NewProblem(CodeValidationFailed, fmt.Sprintf("malformed JSON at byte %d", syn.Offset))
	case errors.As(err, &typ):
		ptr := "/" + typ.Field
		if typ.Field == "" {
			ptr = ""
		}
		return NewProblem(CodeValidationFailed, "wrong JSON type",
			FieldError{Pointer: jsonPointerFromDots(ptr), Detail: fmt.Sprintf("expected %s, got %s", typ.Type, typ.Value)})
	}
	// encoding/json reports unknown fields as `json: unknown field "x"`.
	msg := err.Error()
	const unk = "json: unknown field "
	if len(msg) > len(unk) && msg[:len(unk)] == unk {
		return NewProblem(CodeValidationFailed, "unknown field "+msg[len(unk):],
			FieldError{Pointer: "", Detail: "unknown field " + msg[len(unk):]})
	}
	return NewProblem(CodeValidationFailed, msg)
}

// jsonPointerFromDots turns encoding/json's "a.b.c" field path into "/a/b/c".
func jsonPointerFromDots(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == '.' {
			b[i] = '/'
		}
	}
	return string(b)
}
