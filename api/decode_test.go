package api

import (
	"errors"
	"strings"
	"testing"
)

func TestDecodeStrict(t *testing.T) {
	tests := []struct {
		name, body string
		ok         bool
	}{
		{"valid", `{"accepted":true,"local_code":"X"}`, true},
		{"unknown field", `{"accepted":true,"acepted":false}`, false},
		{"wrong type", `{"accepted":"yes"}`, false},
		{"trailing data", `{"accepted":true} {}`, false},
		{"empty", ``, false},
		{"malformed", `{"accepted":`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v AckRequest
			err := DecodeStrict(strings.NewReader(tt.body), &v)
			if tt.ok {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			var p *Problem
			if !errors.As(err, &p) || p.Code != CodeValidationFailed || p.Status != 400 {
				t.Fatalf("got %v, want a validation-failed problem", err)
			}
		})
	}
}

func TestETag(t *testing.T) {
	if got := ETag(7); got != `"7"` {
		t.Fatalf("ETag(7) = %s", got)
	}
	for _, bad := range []string{``, `7`, `W/"7"`, `"x"`, `"0"`} {
		if _, err := ParseETag(bad); err == nil {
			t.Errorf("ParseETag(%q) accepted", bad)
		}
	}
	if v, err := ParseETag(` "12" `); err != nil || v != 12 {
		t.Errorf("ParseETag = %d, %v", v, err)
	}
}

func TestAgencyCode(t *testing.T) {
	for _, c := range []string{"000.00.00.H56", "000.00.01.H22", "000.00.00.G01"} {
		if !ValidAgencyCode(c) {
			t.Errorf("%s rejected", c)
		}
	}
	for _, c := range []string{"", "000.00.00.156", "00.00.00.H56", "000.00.00.h56", "000.00.00.H56 "} {
		if ValidAgencyCode(c) {
			t.Errorf("%q accepted", c)
		}
	}
}
