package api

import "time"

// Release is a published version of the desktop program (GET /v1/releases/latest,
// GET /v1/releases/{version}). The hub stores and serves it; it cannot make one
// up: Signature is an Ed25519 signature, made offline with the province's
// private key, over release.Message(Version, SHA256), and the desktop checks it
// with the public keys built into it before it downloads anything.
type Release struct {
	Version     string    `json:"version"`      // MAJOR.MINOR.PATCH
	SHA256      string    `json:"sha256"`       // of the MSI, lowercase hex
	Size        int64     `json:"size"`         // of the MSI, bytes
	Notes       string    `json:"notes"`        // Vietnamese release notes, NFC
	Signature   string    `json:"signature"`    // base64 (standard) Ed25519 signature, 64 bytes
	PublishedAt time.Time `json:"published_at"` // when the hub administrator published it
	File        string    `json:"file"`         // path of the MSI on the hub: /v1/releases/{version}/file
}

// MaxReleaseSize bounds a release file (an MSI of the desktop is about 10 MB).
const MaxReleaseSize = 512 << 20

// ReleaseFileName is how the MSI of a version is named when saved.
func ReleaseFileName(version string) string { return "MotCua-" + version + ".msi" }
