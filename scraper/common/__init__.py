"""What every layer shares besides the domain model: the exception hierarchy (`errors`), the one
backoff rule (`backoff`), the one password masker (`masking`) and the database URL checks done as
text (`dburl`). These import nothing of ours but the model's types (and those only for typing)."""
