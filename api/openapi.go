package api

import (
	"context"
	_ "embed"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// OpenAPIYAML is the OpenAPI 3.0.3 document of the API, as shipped.
//
//go:embed openapi.yaml
var OpenAPIYAML []byte

// LoadOpenAPI parses and validates the embedded document. Each call returns a
// fresh copy that the caller may modify (the hub drops the servers list before
// building its router).
func LoadOpenAPI() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(OpenAPIYAML)
	if err != nil {
		return nil, fmt.Errorf("api: parse openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("api: invalid openapi.yaml: %w", err)
	}
	return doc, nil
}
