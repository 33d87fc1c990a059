// Package config reads lightbox's configuration file and resolves the COS
// credentials and targets lightbox works on.
//
// Secrets read here are held as [Secret], which never prints, marshals or logs
// its value; [Secret.Reveal] is the only way out.
package config
