"""The summarizer: key points, entities, quotes and keywords of articles and stories."""
