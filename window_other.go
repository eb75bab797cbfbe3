//go:build !cgo || ci

package main

func workArea() (x, y, w, h int, ok bool) { return 0, 0, 0, 0, false }
