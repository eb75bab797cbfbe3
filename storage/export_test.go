package storage

import (
	"testing"

	"motcua/app"
)

// CheckIndexes is checkIndexes for the conformance suite run from the
// external test package (conformance_test.go).
func CheckIndexes(t *testing.T, s app.Store) { checkIndexes(t, s.(*DB)) }
