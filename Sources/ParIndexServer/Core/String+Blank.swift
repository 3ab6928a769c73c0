extension String {
    /// nil for an empty string: optional form fields arrive as "" from browsers.
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
