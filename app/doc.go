// Package app is the domain of Một Cửa: dossiers (hồ sơ), procedures (thủ tục
// hành chính), the workflow and its national status codes, the office calendar,
// dossier codes, statistics and the use cases that officials perform at the
// counter.
//
// It must not import Fyne, bbolt or any HTTP package: storage, the central API
// client and the screens implement or call the small interfaces defined here.
package app
