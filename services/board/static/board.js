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
  const headlines = new Map(); // story_id -> headline, to name a topic after its stories
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

  // Stories of one running topic (sibling events) share a topic_id: each card of a topic that
  // holds two or more stories on the board is labelled with it, named after the topic's first
  // story (whose id the topic carries) or else its earliest story here, and the stories' count.
  function labelTopics() {
    const members = new Map(); // topic_id -> story ids on the board, oldest card first
    for (const card of [...list.children].reverse()) {
      const topic = card.dataset.topicId;
      if (!topic) continue;
      if (!members.has(topic)) members.set(topic, []);
      members.get(topic).push(card.dataset.storyId);
    }
    for (const card of cards.values()) {
      const chip = card.querySelector(".story-topic");
      const ids = members.get(card.dataset.topicId || "") || [];
      chip.hidden = ids.length < 2;
      if (chip.hidden) continue;
      const name = headlines.get(card.dataset.topicId) || headlines.get(ids[0]) || "Untitled story";
      chip.textContent = "Topic: " + name + " · " + ids.length + " stories";
      chip.style.setProperty("--topic-hue", String(hue(card.dataset.topicId)));
    }
  }

  function hue(text) {
    let h = 0;
    for (const c of text) h = (h * 31 + c.codePointAt(0)) % 360;
    return h;
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
    // The latest topic named wins (a young story may take another's once); an update that does not
    // name it (older producers) keeps the last one.
    const topic = story.topic_id ? String(story.topic_id) : previous?.dataset.topicId;
    if (topic) card.dataset.topicId = topic;
    headlines.set(card.dataset.storyId, story.headline || "Untitled story");
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
    labelTopics();
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
