"""Excel templates, importers (validate → preview → commit), exporters and error reports."""
