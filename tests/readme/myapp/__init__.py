"""The stand-in for "your code" that README.md's "Testing your integration" example imports."""
