// storywire story board: renders StorySummary JSON from /events into cards.
// All text goes through textContent, never innerHTML: headlines and points come from the web.
"use strict";

(function () {
  const MAX_CARDS = 100;      // the page stays light however long it stays open
  const MAX_POINTS = 5;
  const MAX_ENTITIES = 14;
  const FLAG_MS = 60_000;
  const ENTITY_TYPES = new Set(["person", "place", "organisation"]);

  const list = document.getElementById("stories");
  const empty = document.getElementById("empty");
  const status = document.getElementById("status");
  const count = document.getElementById("count");
  const template = document.getElementById("story-template");
  const cards = new Map(); // story_id -> <article>
  const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function formatTime(value) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? "" : timeFormat.format(date);
  }

  function renderCard(story) {
    const card = template.content.firstElementChild.cloneNode(true);
    card.dataset.storyId = String(story.story_id);

    // article_ids lists the latest articles only; article_count counts them all (older entries lack it).
    const articles = story.article_count ?? (story.article_ids || []).length;
    card.querySelector(".story-articles").textContent = articles === 1 ? "1 article" : articles + " articles";
    const time = card.querySelector(".story-time");
    time.textContent = "updated " + formatTime(story.last_seen);
    time.title = "first seen " + formatTime(story.first_seen);
    card.querySelector(".story-headline").textContent = story.headline || "Untitled story";

    const outlets = card.querySelector(".story-outlets");
    for (const outlet of story.outlets || []) outlets.append(el("li", "outlet", String(outlet)));
    const unlisted = (story.outlet_count ?? 0) - (story.outlets || []).length;
    if (unlisted > 0) outlets.append(el("li", "outlet", "+" + unlisted + " more"));

    const points = card.querySelector(".key-points");
    for (const point of (story.key_points || []).slice(0, MAX_POINTS)) {
      const item = el("li", "key-point");
      item.append(el("span", "point-text", String(point.text)));
      const sources = el("span", "point-outlets");
      for (const outlet of point.outlets || []) sources.append(el("span", "point-outlet", String(outlet)));
      item.append(sources);
      points.append(item);
    }
    card.querySelector(".key-points-section").hidden = points.childElementCount === 0;

    const entities = card.querySelector(".entities");
    const ranked = [...(story.entities || [])].sort((a, b) => b.mentions - a.mentions);
    for (const entity of ranked.slice(0, MAX_ENTITIES)) {
      const chip = el("li", "entity");
      chip.dataset.type = ENTITY_TYPES.has(entity.type) ? entity.type : "other";
      const variants = (entity.variants || []).filter((v) => v !== entity.name);
      chip.title = entity.type + (variants.length ? " · also " + variants.join(", ") : "");
      chip.append(el("span", "entity-name", String(entity.name)));
      chip.append(el("span", "entity-count", String(entity.mentions)));
      chip.lastChild.title = entity.mentions + " mentions";
      entities.append(chip);
    }
    card.querySelector(".entities-section").hidden = entities.childElementCount === 0;
    return card;
  }

  function updateCounts() {
    const n = cards.size;
    count.textContent = n === 1 ? "1 story" : n + " stories";
    empty.hidden = n > 0;
  }

  // Inserts or replaces a story's card and puts it at the top.
  function upsert(story, fresh) {
    // Stories folded into this one are gone: their articles are this story's now.
    for (const id of story.absorbed_story_ids || []) {
      const gone = cards.get(String(id));
      if (gone) {
        gone.remove();
        cards.delete(String(id));
      }
    }
    const card = renderCard(story);
    const previous = cards.get(card.dataset.storyId);
    if (previous) previous.remove();
    if (fresh) {
      card.classList.add("is-fresh");
      const flag = card.querySelector(".story-flag");
      flag.hidden = !previous;
      // "updated" is news for a while, not forever.
      setTimeout(() => { flag.hidden = true; }, FLAG_MS);
    }
    cards.set(card.dataset.storyId, card);
    list.prepend(card);
    while (cards.size > MAX_CARDS) {
      const last = list.lastElementChild;
      cards.delete(last.dataset.storyId);
      last.remove();
    }
  }

  function setStatus(state, text) {
    status.dataset.state = state;
    status.textContent = text;
  }

  function parse(event) {
    try {
      return JSON.parse(event.data);
    } catch (error) {
      console.warn("unreadable board event", error);
      return null;
    }
  }

  const source = new EventSource("/events");
  source.addEventListener("open", () => setStatus("live", "Live"));
  source.addEventListener("error", () => {
    // EventSource retries by itself; CLOSED means it gave up (e.g. the server refused).
    if (source.readyState === EventSource.CLOSED) setStatus("offline", "Offline");
    else setStatus("connecting", "Reconnecting…");
  });
  source.addEventListener("snapshot", (event) => {
    const snapshot = parse(event);
    if (!snapshot) return;
    // Newest first in the snapshot: insert from the oldest so the newest ends on top.
    for (const story of [...snapshot.stories].reverse()) upsert(story, false);
    updateCounts();
  });
  source.addEventListener("story", (event) => {
    const story = parse(event);
    if (!story) return;
    upsert(story, true);
    updateCounts();
  });
  updateCounts();
})();
