// Where things are in the Agents Playground's page (version 0.2.28: a Fluent UI shell around the Adaptive Cards
// JS renderer). Found by driving it against test/e2e/support/echoBot.ts. The page has no test ids, so these
// lean on ARIA attributes and the renderer's own class names, the parts least likely to change between
// releases; if a playground upgrade breaks the e2e tests, this file is the one to update.
export const SELECTORS = {
  /** The left rail's conversations: "Personal Chat", "Group Chat", "My Team - General", "My Team - Announcements". */
  conversation: (name: string) => `[role="treeitem"][aria-label="${name}"]`,
  /** The compose box is a Lexical editor (contenteditable), not an <input>. */
  composeBox: '[role="textbox"][contenteditable="true"][data-lexical-editor="true"]',
  sendButton: 'button[aria-label="Send Message"]',
  /** Every message, user's or bot's, starts with a header row (author for the bot, timestamp for both). */
  messageHeader: '[aria-label="Message header"]',
  /** A bot message's bubble (text or cards); the user's own messages have none. */
  botMessage: '.fai-OutputCard',
  /** The root of one rendered Adaptive Card (a ShowCard's inner card is not another one). */
  card: '.fai-OutputCard .ac-preview-panel',
  /** Inputs' visible labels are <label for=inputId>; Input.Toggle has its title as the checkbox's name instead. */
  inputLabel: 'label.ac-richTextBlock',
  /** Compact ChoiceSets open a Fluent listbox in a portal at the end of <body>, outside the card. */
  openListbox: '.fui-Listbox:visible',
  listboxOption: '.fui-Option',
  /** What the playground shows under a card once an Action.Execute answer has come back. */
  responseNotice: 'text=Your response was sent to the app',
} as const;
