package api

import (
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func TestOpenAPIDocumentIsValid(t *testing.T) {
	doc, err := LoadOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi = %q, want 3.0.3", doc.OpenAPI)
	}
}

// wireSchemas maps each schema of the document to its Go type.
var wireSchemas = map[string]any{
	"Problem":         Problem{},
	"FieldError":      FieldError{},
	"Health":          Health{},
	"Agency":          Agency{},
	"Blob":            Blob{},
	"TransferRequest": TransferRequest{},
	"Transfer":        Transfer{},
	"Ack":             Ack{},
	"Recall":          Recall{},
	"Dossier":         Dossier{},
	"Applicant":       Applicant{},
	"Document":        Document{},
	"Fee":             Fee{},
	"AckRequest":      AckRequest{},
	"StatusRequest":   StatusRequest{},
	"Actor":           Actor{},
	"Supplement":      Supplement{},
	"ResultDoc":       ResultDoc{},
	"RecallRequest":   RecallRequest{},
	"TransferPage":    TransferPage{},
	"Event":           Event{},
	"EventData":       EventData{},
	"InboxPage":       InboxPage{},
	"DailyDigest":     DailyDigest{},
	"DigestPage":      DigestPage{},
	"Release":         Release{},
	// v1.1
	"SubmissionDossier": SubmissionDossier{},
	"SubmissionRequest": SubmissionRequest{},
	"Submission":        Submission{},
	"DecisionRequest":   DecisionRequest{},
	"SupplementRequest": SupplementRequest{},
	"PublicStatus":      PublicStatus{},
	"PublicLookup":      PublicLookup{},
}

// TestGoTypesMatchSchemas keeps the wire types and the document in sync: the
// same JSON field names, and a required property is never omitempty in Go.
func TestGoTypesMatchSchemas(t *testing.T) {
	doc, err := LoadOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	for name, ref := range doc.Components.Schemas {
		s := ref.Value
		if s.Type == nil || !s.Type.Is(openapi3.TypeObject) || s.Properties == nil {
			continue
		}
		if _, ok := wireSchemas[name]; !ok {
			t.Errorf("schema %s has no Go type in wireSchemas", name)
		}
	}
	for name, v := range wireSchemas {
		ref, ok := doc.Components.Schemas[name]
		if !ok {
			t.Errorf("Go type %T has no schema %s", v, name)
			continue
		}
		s := ref.Value
		goFields := map[string]bool{} // json name → omitted when empty
		rt := reflect.TypeOf(v)
		for i := 0; i < rt.NumField(); i++ {
			tag := rt.Field(i).Tag.Get("json")
			parts := strings.Split(tag, ",")
			if parts[0] == "" || parts[0] == "-" {
				t.Errorf("%s.%s has no json name", rt.Name(), rt.Field(i).Name)
				continue
			}
			goFields[parts[0]] = slices.Contains(parts[1:], "omitempty") || slices.Contains(parts[1:], "omitzero")
		}
		var docNames, goNames []string
		for p := range s.Properties {
			docNames = append(docNames, p)
		}
		for p := range goFields {
			goNames = append(goNames, p)
		}
		sort.Strings(docNames)
		sort.Strings(goNames)
		if !slices.Equal(docNames, goNames) {
			t.Errorf("%s: document properties %v, Go fields %v", name, docNames, goNames)
		}
		for _, req := range s.Required {
			if goFields[req] {
				t.Errorf("%s.%s is required in the document but omitempty in Go", name, req)
			}
		}
	}
}

func TestProblemCodesMatchDocument(t *testing.T) {
	doc, err := LoadOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var docCodes, goCodes []string
	for _, e := range doc.Components.Schemas["ProblemCode"].Value.Enum {
		docCodes = append(docCodes, e.(string))
	}
	for _, c := range Codes() {
		goCodes = append(goCodes, string(c))
	}
	sort.Strings(docCodes)
	sort.Strings(goCodes)
	if !slices.Equal(docCodes, goCodes) {
		t.Errorf("document codes %v, Go codes %v", docCodes, goCodes)
	}
}
