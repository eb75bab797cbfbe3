// Package api is the contract of the central interconnection API (liên thông):
// the OpenAPI document (openapi.yaml, embedded, the single source of truth) and
// the Go wire types shared by the desktop client and the reference hub.
//
// The types here mirror the document's schemas field for field (a test checks
// it). They carry no business rules and must not import package app: the
// desktop converts between them and its domain types, the hub stores them.
package api
